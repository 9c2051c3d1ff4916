.[0].candidates[0] | .cause == "tp:gluteus-medius" and .side == "r"
