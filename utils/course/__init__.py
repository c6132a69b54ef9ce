"""The course around the notebooks: quizzes, the glossary, the series map and the static export."""
