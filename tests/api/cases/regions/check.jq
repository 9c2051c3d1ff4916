(.regions | length) == 107 and (.kinds | length) == 5
