/* SPDX-License-Identifier: MIT */
/*
 * The demo generator's embedded tables: places (cities with their courts,
 * ZIP and area codes), names, streets and facilities.  All fictional people;
 * real cities, courts and prisons so that the records read true.
 */
#include "core/common.h"

#include "demo/demo_int.h"
#include "homeward/rng.h"

/*
 * Cities by state.  Weights are rough shares of each state's supervised
 * population (an assumption: bigger counties supervise more people).
 */
const demo_place hw__demo_places[] = {
    {J_PA,
     30,
     "Philadelphia",
     "Philadelphia",
     "51",
     "Eastern District of Pennsylvania",
     19102,
     19154,
     {"215", "267"}},
    {J_PA,
     16,
     "Pittsburgh",
     "Allegheny",
     "02",
     "Western District of Pennsylvania",
     15201,
     15235,
     {"412", "412"}},
    {J_PA,
     8,
     "Harrisburg",
     "Dauphin",
     "22",
     "Middle District of Pennsylvania",
     17101,
     17113,
     {"717", "717"}},
    {J_PA,
     8,
     "Allentown",
     "Lehigh",
     "39",
     "Eastern District of Pennsylvania",
     18101,
     18109,
     {"610", "484"}},
    {J_PA,
     6,
     "Erie",
     "Erie",
     "25",
     "Western District of Pennsylvania",
     16501,
     16511,
     {"814", "814"}},
    {J_PA,
     7,
     "Reading",
     "Berks",
     "06",
     "Eastern District of Pennsylvania",
     19601,
     19611,
     {"610", "484"}},
    {J_PA,
     6,
     "Scranton",
     "Lackawanna",
     "35",
     "Middle District of Pennsylvania",
     18503,
     18512,
     {"570", "570"}},
    {J_PA,
     7,
     "York",
     "York",
     "67",
     "Middle District of Pennsylvania",
     17401,
     17408,
     {"717", "223"}},
    {J_CA,
     35,
     "Los Angeles",
     "Los Angeles",
     "BA",
     "Central District of California",
     90001,
     90089,
     {"213", "323"}},
    {J_CA,
     8,
     "Oakland",
     "Alameda",
     "AL",
     "Northern District of California",
     94601,
     94621,
     {"510", "341"}},
    {J_CA,
     8,
     "Fresno",
     "Fresno",
     "FR",
     "Eastern District of California",
     93701,
     93728,
     {"559", "559"}},
    {J_CA,
     13,
     "San Diego",
     "San Diego",
     "SD",
     "Southern District of California",
     92101,
     92139,
     {"619", "858"}},
    {J_CA,
     10,
     "Sacramento",
     "Sacramento",
     "SA",
     "Eastern District of California",
     95811,
     95838,
     {"916", "279"}},
    {J_CA,
     12,
     "San Bernardino",
     "San Bernardino",
     "SB",
     "Central District of California",
     92401,
     92411,
     {"909", "840"}},
    {J_CA,
     6,
     "Stockton",
     "San Joaquin",
     "SJ",
     "Eastern District of California",
     95202,
     95219,
     {"209", "209"}},
    {J_CA,
     7,
     "San Jose",
     "Santa Clara",
     "SC",
     "Northern District of California",
     95110,
     95139,
     {"408", "669"}},
    {J_GA,
     30,
     "Atlanta",
     "Fulton",
     "FU",
     "Northern District of Georgia",
     30303,
     30350,
     {"404", "678"}},
    {J_GA,
     12,
     "Decatur",
     "DeKalb",
     "DK",
     "Northern District of Georgia",
     30030,
     30039,
     {"404", "470"}},
    {J_GA,
     10,
     "Savannah",
     "Chatham",
     "CH",
     "Southern District of Georgia",
     31401,
     31419,
     {"912", "912"}},
    {J_GA, 8, "Macon", "Bibb", "BI", "Middle District of Georgia", 31201, 31217, {"478", "478"}},
    {J_GA,
     8,
     "Augusta",
     "Richmond",
     "RI",
     "Southern District of Georgia",
     30901,
     30909,
     {"706", "762"}},
    {J_GA,
     8,
     "Columbus",
     "Muscogee",
     "MU",
     "Middle District of Georgia",
     31901,
     31909,
     {"706", "762"}},
    {J_GA,
     12,
     "Marietta",
     "Cobb",
     "CO",
     "Northern District of Georgia",
     30060,
     30068,
     {"770", "678"}},
    {J_MI,
     35,
     "Detroit",
     "Wayne",
     "82",
     "Eastern District of Michigan",
     48201,
     48239,
     {"313", "313"}},
    {J_MI,
     14,
     "Grand Rapids",
     "Kent",
     "41",
     "Western District of Michigan",
     49503,
     49548,
     {"616", "616"}},
    {J_MI,
     10,
     "Flint",
     "Genesee",
     "25",
     "Eastern District of Michigan",
     48502,
     48507,
     {"810", "810"}},
    {J_MI,
     9,
     "Lansing",
     "Ingham",
     "33",
     "Western District of Michigan",
     48906,
     48933,
     {"517", "517"}},
    {J_MI,
     7,
     "Kalamazoo",
     "Kalamazoo",
     "39",
     "Western District of Michigan",
     49001,
     49009,
     {"269", "269"}},
    {J_MI,
     6,
     "Saginaw",
     "Saginaw",
     "73",
     "Eastern District of Michigan",
     48601,
     48609,
     {"989", "989"}},
    {J_MI,
     14,
     "Pontiac",
     "Oakland",
     "63",
     "Eastern District of Michigan",
     48340,
     48342,
     {"248", "947"}},
    {J_IL,
     50,
     "Chicago",
     "Cook",
     "CR",
     "Northern District of Illinois",
     60601,
     60660,
     {"312", "773"}},
    {J_IL,
     8,
     "Rockford",
     "Winnebago",
     "WI",
     "Northern District of Illinois",
     61101,
     61114,
     {"815", "779"}},
    {J_IL,
     7,
     "Peoria",
     "Peoria",
     "PE",
     "Central District of Illinois",
     61602,
     61615,
     {"309", "309"}},
    {J_IL,
     7,
     "Springfield",
     "Sangamon",
     "SA",
     "Central District of Illinois",
     62701,
     62712,
     {"217", "217"}},
    {J_IL,
     10,
     "Joliet",
     "Will",
     "WL",
     "Northern District of Illinois",
     60431,
     60436,
     {"815", "779"}},
    {J_IL,
     6,
     "East St. Louis",
     "St. Clair",
     "SC",
     "Southern District of Illinois",
     62201,
     62207,
     {"618", "618"}},
    {J_IL,
     8,
     "Aurora",
     "Kane",
     "KA",
     "Northern District of Illinois",
     60502,
     60506,
     {"630", "331"}},
    {J_DC,
     1,
     "Washington",
     "District of Columbia",
     "DC",
     "District of Columbia",
     20001,
     20020,
     {"202", "202"}},
};
const size_t hw__demo_nplaces = HW_ARRAY_LEN(hw__demo_places);

/*
 * Given and family names: common US names of many origins (from the
 * Census Bureau's frequent-surname list and the SSA's popular given names,
 * picked by hand), a few with accents so that UTF-8 is exercised.
 */
static const char *const men[] = {
    "James",    "Michael",     "Robert",  "John",    "David",   "William", "Richard",  "Joseph",
    "Thomas",   "Christopher", "Charles", "Daniel",  "Matthew", "Anthony", "Mark",     "Donald",
    "Steven",   "Andrew",      "Paul",    "Joshua",  "Kenneth", "Kevin",   "Brian",    "Timothy",
    "Ronald",   "Jason",       "Jeffrey", "Ryan",    "Jacob",   "Gary",    "Nicholas", "Eric",
    "Jonathan", "Stephen",     "Larry",   "Justin",  "Scott",   "Brandon", "Benjamin", "Samuel",
    "Gregory",  "Alexander",   "Patrick", "Frank",   "Raymond", "Jack",    "Dennis",   "Jerry",
    "Tyler",    "Aaron",       "José",    "Luis",    "Carlos",  "Juan",    "Miguel",   "Jesús",
    "Jorge",    "Pedro",       "Marcus",  "Darnell", "DeShawn", "Tyrone",  "Jamal",    "Andre",
    "Terrence", "Malik",       "Omar",    "Tariq",   "Hassan",  "Minh",    "Duc",      "Wei",
    "Hiroshi",  "Sanjay",      "Rahul",   "Dmitri",  "Ivan",    "Kwame",   "Tomás",    "Rafael",
    "Cedric",   "Reginald",    "Dwayne",  "Shawn",
};

static const char *const women[] = {
    "Mary",     "Patricia",  "Jennifer",  "Linda",     "Elizabeth", "Barbara",  "Susan",
    "Jessica",  "Sarah",     "Karen",     "Lisa",      "Nancy",     "Betty",    "Sandra",
    "Margaret", "Ashley",    "Kimberly",  "Emily",     "Donna",     "Michelle", "Carol",
    "Amanda",   "Melissa",   "Deborah",   "Stephanie", "Rebecca",   "Sharon",   "Laura",
    "Cynthia",  "Amy",       "Angela",    "Shirley",   "Brenda",    "Pamela",   "Nicole",
    "Samantha", "Katherine", "Christine", "Rachel",    "Heather",   "Tiffany",  "Crystal",
    "María",    "Guadalupe", "Rosa",      "Ana",       "Carmen",    "Lucía",    "Yolanda",
    "Latoya",   "Keisha",    "Tamika",    "Shanice",   "Ebony",     "Aaliyah",  "Imani",
    "Fatima",   "Aisha",     "Leila",     "Mei",       "Lan",       "Yuki",     "Priya",
    "Anjali",   "Olga",      "Svetlana",  "Ngozi",     "Adaeze",    "Dolores",  "Renée",
    "Tanya",    "Monique",   "Jasmine",   "Destiny",   "Brianna",   "Alexis",
};

static const char *const families[] = {
    "Smith",    "Johnson",   "Williams",   "Brown",      "Jones",    "Garcia",   "Miller",
    "Davis",    "Rodriguez", "Martinez",   "Hernandez",  "Lopez",    "Gonzalez", "Wilson",
    "Anderson", "Thomas",    "Taylor",     "Moore",      "Jackson",  "Martin",   "Lee",
    "Perez",    "Thompson",  "White",      "Harris",     "Sanchez",  "Clark",    "Ramirez",
    "Lewis",    "Robinson",  "Walker",     "Young",      "Allen",    "King",     "Wright",
    "Scott",    "Torres",    "Nguyen",     "Hill",       "Flores",   "Green",    "Adams",
    "Nelson",   "Baker",     "Hall",       "Rivera",     "Campbell", "Mitchell", "Carter",
    "Roberts",  "Gomez",     "Phillips",   "Evans",      "Turner",   "Diaz",     "Parker",
    "Cruz",     "Edwards",   "Collins",    "Reyes",      "Stewart",  "Morris",   "Morales",
    "Murphy",   "Cook",      "Rogers",     "Gutierrez",  "Ortiz",    "Morgan",   "Cooper",
    "Peterson", "Bailey",    "Reed",       "Kelly",      "Howard",   "Ramos",    "Kim",
    "Cox",      "Ward",      "Richardson", "Watson",     "Brooks",   "Chavez",   "Wood",
    "James",    "Bennett",   "Gray",       "Mendoza",    "Ruiz",     "Hughes",   "Price",
    "Alvarez",  "Castillo",  "Sanders",    "Patel",      "Myers",    "Long",     "Ross",
    "Foster",   "Jimenez",   "Washington", "Jefferson",  "Banks",    "Freeman",  "Mack",
    "Muñoz",    "Peña",      "Ibáñez",     "Tran",       "Pham",     "Le",       "Chen",
    "Wang",     "Li",        "Zhang",      "Huang",      "Yamamoto", "Tanaka",   "Singh",
    "Shah",     "Khan",      "Ali",        "Hussein",    "Haddad",   "Okafor",   "Adeyemi",
    "Mensah",   "Kowalski",  "Nowak",      "Ivanov",     "Petrov",   "O'Brien",  "O'Neil",
    "McCarthy", "Sullivan",  "Murray",     "Fitzgerald", "Rossi",    "Russo",    "Esposito",
    "Schmidt",  "Mueller",   "Becker",     "Yazzie",     "Begay",    "Dubois",   "Lefebvre",
};

static const char *const streets[] = {
    "Maple",
    "Oak",
    "Pine",
    "Cedar",
    "Elm",
    "Walnut",
    "Chestnut",
    "Spruce",
    "Washington",
    "Lincoln",
    "Jefferson",
    "Madison",
    "Franklin",
    "Jackson",
    "Main",
    "Church",
    "Market",
    "Mill",
    "Park",
    "Lake",
    "Hill",
    "River",
    "Spring",
    "Highland",
    "Sunset",
    "Forest",
    "Cherry",
    "Poplar",
    "Willow",
    "Magnolia",
    "Dogwood",
    "King",
    "Queen",
    "Union",
    "Liberty",
    "Grant",
    "Fairview",
    "Locust",
    "Harrison",
    "Monroe",
    "Adams",
    "Hamilton",
    "Martin Luther King Jr",
    "César Chávez",
    "Frederick Douglass",
    "Garfield",
    "Prospect",
};

static const char *const street_kinds[] = {"St", "Ave", "Rd",  "Blvd", "Ln",  "Dr",
                                           "Ct", "Pl",  "Way", "St",   "Ave", "St"};

/* Skewed towards the head of the list, so that early names are the common ones. */
static size_t skewed(hw_rng *r, size_t n)
{
    double u = hw_rng_unit(r);

    return (size_t)(u * u * (double)n);
}

const char *hw__demo_pick_name(hw_rng *r, bool female)
{
    if (female)
        return women[skewed(r, HW_ARRAY_LEN(women))];
    return men[skewed(r, HW_ARRAY_LEN(men))];
}

const char *hw__demo_pick_family(hw_rng *r)
{
    return families[skewed(r, HW_ARRAY_LEN(families))];
}

const char *hw__demo_pick_street(hw_rng *r)
{
    return streets[hw_rng_below(r, HW_ARRAY_LEN(streets))];
}

const char *hw__demo_pick_street_kind(hw_rng *r)
{
    return street_kinds[hw_rng_below(r, HW_ARRAY_LEN(street_kinds))];
}

const demo_place *hw__demo_pick_place(hw_rng *r, uint8_t st)
{
    double w[16];
    size_t first = hw__demo_nplaces, n = 0;

    for (size_t i = 0; i < hw__demo_nplaces; i++) {
        if (hw__demo_places[i].state != st)
            continue;
        if (first == hw__demo_nplaces)
            first = i;
        assert(n < HW_ARRAY_LEN(w) && i == first + n);
        w[n++] = hw__demo_places[i].weight;
    }
    assert(n > 0);
    return &hw__demo_places[first + hw_rng_pick(r, w, (unsigned)n)];
}

/* State prisons by state; federal (BOP) ones for federal and D.C. Code sentences. */
static const char *const prisons_pa[] = {"SCI Chester",  "SCI Phoenix",    "SCI Camp Hill",
                                         "SCI Greene",   "SCI Huntingdon", "SCI Albion",
                                         "SCI Rockview", "SCI Mahanoy",    "SCI Somerset"};
static const char *const prisons_ca[] = {"California State Prison, Los Angeles County",
                                         "Folsom State Prison",
                                         "San Quentin Rehabilitation Center",
                                         "Salinas Valley State Prison",
                                         "Kern Valley State Prison",
                                         "California Institution for Men",
                                         "Pleasant Valley State Prison"};
static const char *const prisons_ga[] = {"Macon State Prison",    "Augusta State Medical Prison",
                                         "Phillips State Prison", "Telfair State Prison",
                                         "Valdosta State Prison", "Wilcox State Prison"};
static const char *const prisons_mi[] = {
    "Macomb Correctional Facility", "G. Robert Cotton Correctional Facility",
    "Parnall Correctional Facility", "Lakeland Correctional Facility",
    "Central Michigan Correctional Facility"};
static const char *const prisons_il[] = {
    "Stateville Correctional Center", "Pontiac Correctional Center", "Menard Correctional Center",
    "Vienna Correctional Center", "Sheridan Correctional Center"};
static const char *const prisons_fed[] = {
    "FCI Schuylkill",  "USP Canaan",     "FCI Loretto",   "FDC Philadelphia", "FCI Terminal Island",
    "FCI Victorville", "USP Atwater",    "USP Atlanta",   "FCI Jesup",        "FCI Milan",
    "FCI Pekin",       "FCI Greenville", "USP Marion",    "FCI Cumberland",   "FCI Hazelton",
    "FCI Petersburg",  "FCI Fort Dix",   "FMC Lexington", "FCI Butner",       "USP Lee"};
static const char *const prisons_women[] = {
    "SCI Muncy", "Central California Women's Facility", "Lee Arrendale State Prison",
    "Women's Huron Valley Correctional Facility", "Logan Correctional Center"};
static const char *const prisons_fed_women[] = {"FPC Alderson", "FCI Aliceville", "FCI Tallahassee",
                                                "FMC Carswell", "FCI Waseca"};

const char *hw__demo_prison(hw_rng *r, uint8_t juris, bool female)
{
#define PICK(a) a[hw_rng_below(r, HW_ARRAY_LEN(a))]
    if (juris == J_FED || juris == J_DC)
        return female ? PICK(prisons_fed_women) : PICK(prisons_fed);
    if (female)
        return prisons_women[juris - J_PA];
    switch (juris) {
    case J_PA:
        return PICK(prisons_pa);
    case J_CA:
        return PICK(prisons_ca);
    case J_GA:
        return PICK(prisons_ga);
    case J_MI:
        return PICK(prisons_mi);
    default:
        return PICK(prisons_il);
    }
#undef PICK
}

/*
 * Officers are a pool of 40 per office, named from a hash of the office and
 * the officer's number, so the same officer turns up on many caseloads
 * without any state kept between people.
 */
const char *hw__demo_officer(demo_gen *g, const demo_place *pl, uint8_t juris, unsigned n)
{
    hw_rng r;

    hw_rng_seed(&r, g->seed ^ 0x0FF1CE5ull,
                ((uint64_t)(pl - hw__demo_places) * J_COUNT + juris) * 64 + n % 40);
    return hw__demo_fmt(g, "%s %s", hw__demo_pick_name(&r, hw_rng_chance(&r, 0.45)),
                        hw__demo_pick_family(&r));
}
