.[0] | .level == "emergency" and (.flags | map(.id)) == ["fever-nerve-symptoms"] and .complete
