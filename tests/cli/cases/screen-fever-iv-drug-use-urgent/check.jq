.[0] | .level == "urgent" and (.flags | map(.id)) == ["fever-and-infection-risk"] and .complete and (.flags[0].advice | test("today"))
