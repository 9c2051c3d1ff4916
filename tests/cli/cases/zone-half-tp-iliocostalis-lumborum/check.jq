.[0].candidates[0:3] | any(.cause == "tp:iliocostalis-lumborum" and .side == "r")
