.[0].candidates[0] | .cause == "tp:gluteus-minimus-posterior" and .side == "r"
