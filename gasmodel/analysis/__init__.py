"""gasmodel.analysis"""
