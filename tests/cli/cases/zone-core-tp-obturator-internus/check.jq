.[0].candidates[0] | .cause == "tp:obturator-internus" and .side == "r"
