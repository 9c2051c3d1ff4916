.[0] | .level == "emergency" and (.flags | map(.id)) == ["fever-nerve-symptoms", "foot-drop"] and .complete
