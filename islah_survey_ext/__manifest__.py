{
    "name": "Beneficiary Satisfaction Surveys",
    "summary": "Measure beneficiaries' satisfaction after service, by e-mail survey",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://islah.org.sa",
    "author": "Islah Dhat al-Bayn Association",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["survey", "islah_beneficiary"],
    "data": [],
    "installable": True,
    "auto_install": False,
}
