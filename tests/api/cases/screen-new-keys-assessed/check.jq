.level == "none" and .flags == []
