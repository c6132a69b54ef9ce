"""The course around the notebooks: quizzes, exercise checkers, the glossary, the series map and the static export."""
