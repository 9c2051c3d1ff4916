.[0].candidates[0] | .cause == "tp:tensor-fasciae-latae" and .side == "r"
