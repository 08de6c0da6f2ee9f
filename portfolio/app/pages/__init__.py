"""One module per page; each has ``render(frame)`` and reads only the frame's cached track record."""
