"""Names of places: countries, regions, and the cities news most often speaks from.

Speakers the patterns cannot type are mostly places ("Paris said", "Moscow
insists") or lone surnames ("Lavrov declared"). A gazetteer settles the first
kind for free, so the who-said-what stage needs no NER model on the briefing
path (loading spaCy alone cost ~1.5 s of a 5 s budget).
"""

from __future__ import annotations

_COUNTRIES = """
Afghanistan, Albania, Algeria, Andorra, Angola, Argentina, Armenia, Australia, Austria, Azerbaijan,
Bahamas, Bahrain, Bangladesh, Barbados, Belarus, Belgium, Belize, Benin, Bhutan, Bolivia, Bosnia,
Botswana, Brazil, Brunei, Bulgaria, Burkina Faso, Burma, Burundi, Cambodia, Cameroon, Canada,
Cape Verde, Chad, Chile, China, Colombia, Comoros, Congo, Costa Rica, Croatia, Cuba, Cyprus,
Czech Republic, Czechia, Denmark, Djibouti, Dominica, Dominican Republic, East Timor, Ecuador, Egypt,
El Salvador, Eritrea, Estonia, Eswatini, Ethiopia, Fiji, Finland, France, Gabon, Gambia, Georgia,
Germany, Ghana, Greece, Grenada, Guatemala, Guinea, Guyana, Haiti, Honduras, Hungary, Iceland, India,
Indonesia, Iran, Iraq, Ireland, Israel, Italy, Ivory Coast, Jamaica, Japan, Jordan, Kazakhstan, Kenya,
Kiribati, Kosovo, Kuwait, Kyrgyzstan, Laos, Latvia, Lebanon, Lesotho, Liberia, Libya, Liechtenstein,
Lithuania, Luxembourg, Madagascar, Malawi, Malaysia, Maldives, Mali, Malta, Mauritania, Mauritius,
Mexico, Micronesia, Moldova, Monaco, Mongolia, Montenegro, Morocco, Mozambique, Myanmar, Namibia,
Nauru, Nepal, Netherlands, New Zealand, Nicaragua, Niger, Nigeria, North Korea, North Macedonia,
Macedonia, Norway, Oman, Pakistan, Palau, Palestine, Panama, Papua New Guinea, Paraguay, Peru,
Philippines, Poland, Portugal, Qatar, Romania, Russia, Rwanda, Samoa, San Marino, Saudi Arabia,
Senegal, Serbia, Seychelles, Sierra Leone, Singapore, Slovakia, Slovenia, Somalia, South Africa,
South Korea, South Sudan, Spain, Sri Lanka, Sudan, Suriname, Sweden, Switzerland, Syria, Taiwan,
Tajikistan, Tanzania, Thailand, Togo, Tonga, Trinidad, Tunisia, Turkey, Turkiye, Turkmenistan, Tuvalu,
Uganda, Ukraine, United Arab Emirates, United Kingdom, United States, America, Uruguay, Uzbekistan,
Vanuatu, Vatican, Venezuela, Vietnam, Yemen, Yugoslavia, Zambia, Zimbabwe, Britain, Great Britain,
England, Scotland, Wales, Northern Ireland, Holland, Soviet Union, Korea, Hong Kong, Macau, Tibet,
Greenland, Puerto Rico
"""

_REGIONS = """
Europe, Asia, Africa, Latin America, South America, North America, Central America, Middle East,
Near East, Far East, Caribbean, Balkans, Baltics, Scandinavia, Caucasus, Central Asia, Southeast Asia,
Gulf, Persian Gulf, Gaza, Gaza Strip, West Bank, Golan Heights, Crimea, Donbas, Donetsk, Luhansk,
Kashmir, Chechnya, Kurdistan, Darfur, Sahel, Siberia, Antarctica, Arctic, Pacific, Atlantic,
Mediterranean, Black Sea, Baltic Sea, South China Sea, Bosnia-Herzegovina, Kosovo, Northern Territory
"""

_US_STATES = """
Alabama, Alaska, Arizona, Arkansas, California, Colorado, Connecticut, Delaware, Florida, Hawaii,
Idaho, Illinois, Indiana, Iowa, Kansas, Kentucky, Louisiana, Maine, Maryland, Massachusetts, Michigan,
Minnesota, Mississippi, Missouri, Montana, Nebraska, Nevada, New Hampshire, New Jersey, New Mexico,
New York, North Carolina, North Dakota, Ohio, Oklahoma, Oregon, Pennsylvania, Rhode Island,
South Carolina, South Dakota, Tennessee, Texas, Utah, Vermont, Virginia, West Virginia, Wisconsin,
Wyoming
"""

_CITIES = """
Abu Dhabi, Abuja, Accra, Addis Ababa, Algiers, Amman, Amsterdam, Ankara, Athens, Baghdad, Baku,
Bangkok, Barcelona, Beijing, Beirut, Belgrade, Berlin, Bern, Bogota, Brasilia, Bratislava, Brussels,
Bucharest, Budapest, Buenos Aires, Cairo, Canberra, Caracas, Chicago, Copenhagen, Damascus, Davos,
Delhi, New Delhi, Dhaka, Doha, Dubai, Dublin, Edinburgh, Geneva, Hanoi, Havana, Helsinki, Hiroshima,
Islamabad, Istanbul, Jakarta, Jerusalem, Johannesburg, Kabul, Karachi, Kharkiv, Khartoum, Kiev, Kyiv,
Kinshasa, Kuala Lumpur, Lagos, Lima, Lisbon, Ljubljana, London, Los Angeles, Luanda, Lviv, Madrid,
Managua, Manila, Mexico City, Miami, Milan, Minsk, Mogadishu, Montreal, Moscow, Mumbai, Munich,
Nairobi, Naples, Nicosia, Odesa, Odessa, Oslo, Ottawa, Paris, Phnom Penh, Prague, Pretoria,
Pyongyang, Quito, Rabat, Riga, Rio de Janeiro, Riyadh, Rome, San Francisco, Santiago, Sao Paulo,
Sarajevo, Seoul, Shanghai, Singapore, Skopje, Sofia, St Petersburg, St. Petersburg, Stockholm,
Strasbourg, Sydney, Taipei, Tallinn, Tashkent, Tbilisi, Tehran, Tel Aviv, The Hague, Tirana, Tokyo,
Toronto, Tripoli, Tunis, Ulaanbaatar, Vancouver, Vienna, Vilnius, Warsaw, Washington, Wellington,
Yerevan, Zagreb, Zurich, Brussels, Frankfurt, Hamburg, Marseille, Lyon, Sochi, Minsk, Gdansk
"""


def _names(block: str) -> frozenset[str]:
    return frozenset(n.strip() for n in block.replace("\n", " ").split(",") if n.strip())


PLACES = _names(_COUNTRIES) | _names(_REGIONS) | _names(_US_STATES) | _names(_CITIES)


def is_place(name: str) -> bool:
    """True for a country, region, US state or major city, with or without "the"."""
    bare = name[4:] if name.lower().startswith("the ") else name
    return bare in PLACES
