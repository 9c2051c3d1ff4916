.[0].candidates[0] | .cause == "tp:gluteus-maximus" and .side == "r"
