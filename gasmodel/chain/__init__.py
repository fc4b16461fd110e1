"""gasmodel.chain"""
