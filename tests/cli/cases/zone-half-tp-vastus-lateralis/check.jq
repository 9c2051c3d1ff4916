.[0].candidates[0:3] | any(.cause == "tp:vastus-lateralis" and .side == "r")
