.[0].candidates[0:3] | any(.cause == "tp:quadratus-lumborum" and .side == "r")
