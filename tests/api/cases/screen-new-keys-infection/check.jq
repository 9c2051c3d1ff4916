.level == "urgent" and (.flags | map(.id)) == ["fever-and-infection-risk"]
