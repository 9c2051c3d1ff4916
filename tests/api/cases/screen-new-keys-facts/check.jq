.level == "none" and .unsure == ["pregnancy"] and .complete
