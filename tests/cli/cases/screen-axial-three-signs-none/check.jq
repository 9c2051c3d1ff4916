.[0] | .level == "none" and (.flags | map(.id)) == [] and .complete
