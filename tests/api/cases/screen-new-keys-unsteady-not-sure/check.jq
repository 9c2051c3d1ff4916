.level == "emergency" and .unsure == ["unsteady-walking"]
