"""What the pages show, computed without Streamlit: filters, sorting and tables over a track record."""
