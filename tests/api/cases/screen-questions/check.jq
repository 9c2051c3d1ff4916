(.questions | length) == 18 and .questions[0].level == "emergency" and (.questions | map(select(.key == "age"))[0].type == "integer")
