.[0] | .level == "emergency" and (.flags | map(.id)) == ["cancer-nerve-symptoms", "foot-drop"] and .missing == ["cancer-history"]
