"""The Streamlit app layer: the only part of the package that imports streamlit."""
