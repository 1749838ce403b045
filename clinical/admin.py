# Clinical situations are deliberately absent from the Django admin: their
# texts are read only through their own pages, which log every access.
