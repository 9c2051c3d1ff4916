(.causes | length) == 26
