.[0].candidates[0] | .cause == "root:L4" and .side == "r"
