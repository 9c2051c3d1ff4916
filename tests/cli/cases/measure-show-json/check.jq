.[0] | .id == "odi" and (.items | length) == 10 and .mcid.points.value == 10 and .licence.item_text == "clinic" and .licence.text_file == null
