.[0].candidates[0] | .cause == "tp:biceps-femoris" and .side == "r"
