.[0] | .level == "urgent" and (.flags | map(.id)) == ["major-trauma"] and .complete
