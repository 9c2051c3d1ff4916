.[0].candidates[0:3] | any(.cause == "tp:soleus" and .side == "r")
