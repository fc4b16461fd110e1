"""gasmodel.scenario"""
