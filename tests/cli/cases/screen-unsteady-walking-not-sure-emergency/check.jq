.[0] | .level == "emergency" and (.flags | map(.id)) == ["unsteady-walking"] and .complete and .unsure == ["unsteady-walking"]
