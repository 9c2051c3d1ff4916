.[0].candidates[0] | .cause == "root:L3" and .side == "r"
