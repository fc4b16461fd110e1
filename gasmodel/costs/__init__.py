"""gasmodel.costs"""
