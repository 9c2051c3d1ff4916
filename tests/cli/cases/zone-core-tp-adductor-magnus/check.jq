.[0].candidates[0] | .cause == "tp:adductor-magnus" and .side == "r"
