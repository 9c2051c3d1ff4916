.[0].candidates[0] | .cause == "tp:longissimus-thoracis" and .side == "r"
