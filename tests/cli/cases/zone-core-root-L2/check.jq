.[0].candidates[0] | .cause == "root:L2" and .side == "r"
