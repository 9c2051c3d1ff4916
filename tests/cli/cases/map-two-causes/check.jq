.[0].explanation.causes | (map(.cause) | index("tp:gluteus-minimus-anterior") != null and index("tp:soleus") != null) and all(.side == "r")
