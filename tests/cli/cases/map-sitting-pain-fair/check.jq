.[0].candidates[0] | .cause == "tp:piriformis" and .side == "r"
