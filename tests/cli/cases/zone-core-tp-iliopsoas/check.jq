.[0].candidates[0] | .cause == "tp:iliopsoas" and .side == "r"
