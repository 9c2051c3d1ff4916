.[0] | .level == "emergency" and .unsure == ["bladder-change"]
