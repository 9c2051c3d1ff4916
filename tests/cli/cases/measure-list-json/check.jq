[.[0].instruments[].id] == ["nrs-leg", "nrs-back", "odi", "rmdq", "sbi", "psfs", "start-back"] and ([.[0].instruments[] | select(.licence.item_text == "clinic") | .items[].text] | all(. == null))
