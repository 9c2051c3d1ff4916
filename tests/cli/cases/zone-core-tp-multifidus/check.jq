.[0].candidates[0] | .cause == "tp:multifidus" and .side == "r"
