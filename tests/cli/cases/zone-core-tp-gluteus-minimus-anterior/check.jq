.[0].candidates[0] | .cause == "tp:gluteus-minimus-anterior" and .side == "r"
