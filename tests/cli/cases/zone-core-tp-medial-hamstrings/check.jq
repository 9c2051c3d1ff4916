.[0].candidates[0] | .cause == "tp:medial-hamstrings" and .side == "r"
