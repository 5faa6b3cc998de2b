"""Streamlit glue shared by the pages: cached loaders, view state in the URL, the sidebar.

Logic lives in geo/; this package only connects it to streamlit.
"""
