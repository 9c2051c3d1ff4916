.[0].candidates[0] | .cause == "tp:soleus" and .side == "r"
