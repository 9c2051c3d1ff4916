.[0].candidates[0] | .cause == "tp:vastus-lateralis" and .side == "r"
