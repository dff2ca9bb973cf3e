/* SPDX-License-Identifier: MIT */
/*
 * The offense catalogue of the demo generator: per jurisdiction, the
 * statutes (normalised), class, grade, severity, drug facts and how common
 * each is.  The weights are assumptions shaped by the published offense
 * mixes cited in docs/demo-data.md; the statutes are chosen so that every
 * rule pack of ../shared/LEGAL-RULES.md meets both qualifying and
 * non-qualifying offenses.
 */
#include "core/common.h"

#include <math.h>
#include <string.h>

#include "demo/demo_int.h"
#include "homeward/date.h"
#include "homeward/rng.h"

#define F CL_FELONY
#define M CL_MISD
#define SU CL_SUMMARY
#define IN CL_INFRACTION
#define V OF_VIOLENT
#define PR OF_PROPERTY
#define FR OF_FRAUD
#define FA OF_FAMILY
#define GUN OF_FIREARM
#define SX OF_SEX
#define DUI OF_DUI

/*
 * One entry: jurisdiction, statute, description, grade, class, severity, drug, conduct,
 * quantity, flags, weight, first year, last year.
 */
#define OFF(j, st, de, dg, cl, sv, dr, co, q, fl, w, y0, y1)                                       \
    {                                                                                              \
        st, de, dg, j, cl, sv, dr, co, q, fl, w, y0, y1                                            \
    }
/* A non-drug offense. */
#define ND(j, st, de, dg, cl, sv, fl, w)                                                           \
    OFF(j, st, de, dg, cl, sv, D_NONE, DC_NONE, Q_NONE, fl, w, 0, 0)

static const demo_offense catalogue[] = {
    /*
     * Federal.  USSC and BOP figures: drug trafficking is about half of federal prisoners,
     * then firearms, immigration, fraud, sex offenses and robbery.
     */
    OFF(J_FED, "21 USC 844(a)", "Simple possession of marijuana", "Class A", M, 0, D_MARIJUANA,
        DC_SIMPLE, Q_USER, 0, 30, 0, 0),
    OFF(J_FED, "21 USC 844(a)", "Simple possession of a controlled substance", "Class A", M, 0,
        D_HARD, DC_SIMPLE, Q_USER, 0, 18, 0, 0),
    OFF(J_FED, "21 USC 846", "Attempted simple possession of marijuana", "Class A", M, 0,
        D_MARIJUANA, DC_ATTEMPT, Q_USER, 0, 6, 0, 0),
    OFF(J_FED, "21 USC 846", "Conspiracy to distribute a controlled substance", NULL, F, 2, D_HARD,
        DC_CONSPIRACY, Q_DEALER, OF_ROLE, 36, 0, 0),
    OFF(J_FED, "21 USC 841(a)(1)", "Possession with intent to distribute marijuana", NULL, F, 1,
        D_MARIJUANA, DC_PWID, Q_DEALER, 0, 14, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(C)", "Distribution of a controlled substance", NULL, F, 2, D_HARD,
        DC_DISTRIBUTION, Q_DEALER, OF_ROLE | OF_DEATH, 36, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(A)(i)", "Distribution of 1 kilogram or more of heroin", NULL, F, 3,
        D_HEROIN, DC_TRAFFICKING, Q_TRAF_A, OF_ROLE | OF_DEATH, 7, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(A)(ii)", "Distribution of 5 kilograms or more of cocaine", NULL, F,
        3, D_COCAINE, DC_TRAFFICKING, Q_TRAF_A, OF_ROLE, 10, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(A)(iii)", "Distribution of cocaine base (crack), (A) quantity",
        NULL, F, 3, D_CRACK, DC_TRAFFICKING, Q_TRAF_A, OF_ROLE, 7, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(A)(vi)", "Distribution of 400 grams or more of fentanyl", NULL, F,
        3, D_FENTANYL, DC_TRAFFICKING, Q_TRAF_A, OF_ROLE | OF_DEATH, 6, 2014, 0),
    OFF(J_FED, "21 USC 841(b)(1)(A)(vii)", "Distribution of 1,000 kilograms or more of marijuana",
        NULL, F, 3, D_MARIJUANA, DC_TRAFFICKING, Q_TRAF_A, OF_ROLE, 2, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(A)(viii)", "Distribution of 500 grams or more of methamphetamine",
        NULL, F, 3, D_METH, DC_TRAFFICKING, Q_TRAF_A, OF_ROLE, 12, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(B)(i)", "Distribution of 100 grams or more of heroin", NULL, F, 2,
        D_HEROIN, DC_DISTRIBUTION, Q_TRAF_B, OF_ROLE | OF_DEATH, 6, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(B)(ii)", "Distribution of 500 grams or more of cocaine", NULL, F,
        2, D_COCAINE, DC_DISTRIBUTION, Q_TRAF_B, OF_ROLE, 8, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(B)(iii)", "Distribution of cocaine base (crack), (B) quantity",
        NULL, F, 2, D_CRACK, DC_DISTRIBUTION, Q_TRAF_B, OF_ROLE, 7, 0, 0),
    OFF(J_FED, "21 USC 841(b)(1)(B)(vi)", "Distribution of 40 grams or more of fentanyl", NULL, F,
        2, D_FENTANYL, DC_DISTRIBUTION, Q_TRAF_B, OF_ROLE | OF_DEATH, 6, 2014, 0),
    OFF(J_FED, "21 USC 841(b)(1)(B)(viii)", "Distribution of 50 grams or more of methamphetamine",
        NULL, F, 2, D_METH, DC_DISTRIBUTION, Q_TRAF_B, OF_ROLE, 10, 0, 0),
    OFF(J_FED, "21 USC 952(a)", "Importation of a controlled substance", NULL, F, 2, D_HARD,
        DC_TRAFFICKING, Q_TRAF_B, OF_ROLE, 4, 0, 0),
    OFF(J_FED, "36 CFR 2.35(b)(2)", "Possession of marijuana in a national park", "Class B", M, 0,
        D_MARIJUANA, DC_SIMPLE, Q_USER, 0, 3, 0, 0),
    OFF(J_FED, "41 CFR 102-74.400(a)", "Possession of marijuana on federal property", NULL, M, 0,
        D_MARIJUANA, DC_SIMPLE, Q_USER, 0, 1, 0, 0),
    ND(J_FED, "18 USC 922(g)(1)", "Possession of a firearm by a convicted felon", NULL, F, 2, GUN,
       40),
    ND(J_FED, "18 USC 924(c)",
       "Using or carrying a firearm during a drug trafficking crime or crime of violence", NULL, F,
       3, GUN, 14),
    ND(J_FED, "18 USC 2113(a)", "Bank robbery", NULL, F, 3, V | PR, 8),
    ND(J_FED, "18 USC 1951", "Interference with commerce by robbery (Hobbs Act)", NULL, F, 3,
       V | PR, 5),
    ND(J_FED, "18 USC 2119", "Carjacking", NULL, F, 3, V | PR, 2),
    ND(J_FED, "18 USC 111(b)", "Assault on a federal officer with a dangerous weapon", NULL, F, 3,
       V, 2),
    ND(J_FED, "18 USC 875(c)", "Interstate threats", NULL, F, 1, 0, 2),
    ND(J_FED, "18 USC 1343", "Wire fraud", NULL, F, 1, FR, 22),
    ND(J_FED, "18 USC 1344", "Bank fraud", NULL, F, 1, FR, 7),
    ND(J_FED, "18 USC 1028A", "Aggravated identity theft", NULL, F, 2, FR, 5),
    ND(J_FED, "18 USC 1956(h)", "Conspiracy to launder monetary instruments", NULL, F, 2, FR, 4),
    ND(J_FED, "26 USC 7201", "Attempt to evade or defeat tax", NULL, F, 1, FR, 3),
    ND(J_FED, "18 USC 641", "Theft of government property (not over $1,000)", "Class A", M, 0, PR,
       6),
    ND(J_FED, "8 USC 1326(a)", "Reentry of a removed alien", NULL, F, 1, OF_IMMIG, 18),
    ND(J_FED, "18 USC 2252(a)(2)", "Receipt or distribution of child sexual abuse material", NULL,
       F, 3, SX, 9),
    ND(J_FED, "18 USC 2250", "Failure to register as a sex offender", NULL, F, 1, SX, 3),
    ND(J_FED, "18 USC 751(a)", "Escape from custody", NULL, F, 2, 0, 1),
    OFF(J_FED, "18 USC 1791", "Possessing contraband in prison", NULL, F, 1, D_HARD, DC_IN_PRISON,
        Q_USER, 0, 1, 0, 0),

    /* District of Columbia (D.C. Code). */
    OFF(J_DC, "DC 48-904.01(d)(1)", "Possession of marijuana", NULL, M, 0, D_MARIJUANA, DC_SIMPLE,
        Q_USER, 0, 28, 0, 0),
    OFF(J_DC, "DC 48-904.01(d)(1)", "Possession of a controlled substance", NULL, M, 0, D_HARD,
        DC_SIMPLE, Q_USER, 0, 24, 0, 0),
    OFF(J_DC, "DC 48-904.09", "Attempted possession of marijuana", NULL, M, 0, D_MARIJUANA,
        DC_ATTEMPT, Q_USER, 0, 5, 0, 0),
    OFF(J_DC, "DC 48-904.01(a)(1)", "Possession with intent to distribute a controlled substance",
        NULL, F, 2, D_HARD, DC_PWID, Q_DEALER, 0, 22, 0, 0),
    OFF(J_DC, "DC 48-904.01(a)(1)", "Distribution of marijuana", NULL, F, 1, D_MARIJUANA,
        DC_DISTRIBUTION, Q_DEALER, 0, 6, 0, 0),
    ND(J_DC, "DC 22-404", "Simple assault", NULL, M, 0, V, 28),
    ND(J_DC, "DC 22-404", "Simple assault (intrafamily offense)", NULL, M, 0, V | FA, 12),
    ND(J_DC, "DC 22-404.01", "Aggravated assault", NULL, F, 3, V, 6),
    ND(J_DC, "DC 22-2801", "Robbery", NULL, F, 3, V | PR, 9),
    ND(J_DC, "DC 22-801", "Burglary", "Second degree", F, 2, PR, 6),
    ND(J_DC, "DC 22-3211", "Theft", "Second degree", M, 0, PR, 20),
    ND(J_DC, "DC 22-3211", "Theft", "First degree", F, 1, PR, 6),
    ND(J_DC, "DC 22-3302", "Unlawful entry", NULL, M, 0, 0, 10),
    ND(J_DC, "DC 22-4503", "Unlawful possession of a firearm (prior conviction)", NULL, F, 2, GUN,
       12),
    ND(J_DC, "DC 7-2502.01", "Possession of an unregistered firearm", NULL, M, 0, GUN, 7),
    ND(J_DC, "DC 50-2206.11", "Driving under the influence", NULL, M, 0, DUI, 12),
    ND(J_DC, "DC 22-3002", "First degree sexual abuse", NULL, F, 3, V | SX, 1),
    ND(J_DC, "DC 22-2103", "Second degree murder", NULL, F, 3, V, 1),

    /*
     * Pennsylvania: Crimes Code (18 Pa.C.S.), Vehicle Code (75 Pa.C.S.) and the Controlled
     * Substance, Drug, Device and Cosmetic Act (35 P.S. 780-113).
     */
    OFF(J_PA, "35 PS 780-113(a)(31)", "Possession of a small amount of marijuana", "M", M, 0,
        D_MARIJUANA, DC_SIMPLE, Q_USER, 0, 22, 0, 0),
    OFF(J_PA, "35 PS 780-113(a)(16)", "Possession of a controlled substance", "M", M, 0, D_HARD,
        DC_SIMPLE, Q_USER, 0, 38, 0, 0),
    OFF(J_PA, "35 PS 780-113(a)(32)", "Possession of drug paraphernalia", "M", M, 0, D_UNKNOWN,
        DC_OTHER, Q_NONE, 0, 18, 0, 0),
    OFF(J_PA, "35 PS 780-113(a)(30)", "Manufacture, delivery or possession with intent to deliver",
        "F", F, 2, D_HARD, DC_PWID, Q_DEALER, 0, 32, 0, 0),
    OFF(J_PA, "35 PS 780-113(a)(30)", "Possession with intent to deliver marijuana", "F", F, 1,
        D_MARIJUANA, DC_PWID, Q_DEALER, 0, 8, 0, 0),
    ND(J_PA, "18 PACS 2701", "Simple assault", "M2", M, 0, V, 28),
    ND(J_PA, "18 PACS 2701", "Simple assault (family or household member)", "M2", M, 0, V | FA, 13),
    ND(J_PA, "18 PACS 2702(a)(1)", "Aggravated assault (serious bodily injury)", "F1", F, 3, V, 7),
    ND(J_PA, "18 PACS 2702(a)(4)", "Aggravated assault (bodily injury with a deadly weapon)", "F2",
       F, 2, V, 6),
    ND(J_PA, "18 PACS 2709.1", "Stalking", "M1", M, 1, 0, 5),
    ND(J_PA, "18 PACS 2709(a)(1)", "Harassment", "S", SU, 0, 0, 12),
    ND(J_PA, "18 PACS 3701(a)(1)(ii)", "Robbery (threat of serious bodily injury)", "F1", F, 3,
       V | PR, 6),
    ND(J_PA, "18 PACS 3502(a)(1)", "Burglary (overnight accommodation, person present)", "F1", F, 3,
       V | PR, 3),
    ND(J_PA, "18 PACS 3502(a)(4)", "Burglary (not adapted for overnight accommodation)", "F2", F, 1,
       PR, 5),
    ND(J_PA, "18 PACS 3921(a)", "Theft by unlawful taking", "M1", M, 0, PR, 18),
    ND(J_PA, "18 PACS 3921(a)", "Theft by unlawful taking", "F3", F, 1, PR, 7),
    ND(J_PA, "18 PACS 3929(a)(1)", "Retail theft", "M2", M, 0, PR, 16),
    ND(J_PA, "18 PACS 3925(a)", "Receiving stolen property", "M1", M, 0, PR, 9),
    ND(J_PA, "18 PACS 3503(a)(1)(i)", "Criminal trespass", "F3", F, 1, 0, 5),
    ND(J_PA, "18 PACS 4101(a)(2)", "Forgery", "F3", F, 1, FR, 4),
    ND(J_PA, "18 PACS 6106(a)(1)", "Firearms not to be carried without a license", "F3", F, 2, GUN,
       8),
    ND(J_PA, "18 PACS 6105(a)(1)", "Persons not to possess firearms", "F2", F, 2, GUN, 6),
    ND(J_PA, "75 PACS 3802(a)(1)", "DUI: general impairment", "M", M, 0, DUI, 28),
    OFF(J_PA, "75 PACS 3802(d)(1)", "DUI: controlled substance in the blood", "M1", M, 0, D_ANY,
        DC_DUI, Q_NONE, DUI, 8, 0, 0),
    ND(J_PA, "18 PACS 5503(a)(4)", "Disorderly conduct", "M3", M, 0, 0, 10),
    ND(J_PA, "18 PACS 4304(a)(1)", "Endangering the welfare of children", "M1", M, 1, 0, 3),
    ND(J_PA, "18 PACS 2502(c)", "Murder of the third degree", "F1", F, 3, V, 1),
    ND(J_PA, "18 PACS 3121(a)(1)", "Rape by forcible compulsion", "F1", F, 3, V | SX, 1),
    ND(J_PA, "18 PACS 2901(a)", "Kidnapping", "F1", F, 3, V, 1),
    ND(J_PA, "18 PACS 3301(a)(1)", "Arson endangering persons", "F1", F, 3, V | PR, 1),

    /*
     * California: Health and Safety Code, Penal Code, Vehicle Code.  Prop 64 (2016-11-09)
     * rewrote 11357-11360; Prop 47 (2014-11-05) made simple possession a misdemeanor.
     */
    OFF(J_CA, "CA HSC 11357", "Possession of marijuana", NULL, M, 0, D_MARIJUANA, DC_SIMPLE,
        Q_OUNCE, OF_CA_OUNCE, 20, 0, 2016),
    OFF(J_CA, "CA HSC 11357(b)(2)", "Possession of more than 28.5 grams of cannabis", NULL, M, 0,
        D_MARIJUANA, DC_SIMPLE, Q_OUNCE, 0, 3, 2017, 0),
    OFF(J_CA, "CA HSC 11358", "Cultivation of marijuana", NULL, F, 1, D_MARIJUANA, DC_CULTIVATION,
        Q_PLANTS, 0, 8, 0, 2016),
    OFF(J_CA, "CA HSC 11359", "Possession of marijuana for sale", NULL, F, 1, D_MARIJUANA, DC_PWID,
        Q_DEALER, 0, 9, 0, 2016),
    OFF(J_CA, "CA HSC 11359(b)", "Possession of cannabis for sale", NULL, M, 0, D_MARIJUANA,
        DC_PWID, Q_DEALER, 0, 3, 2017, 0),
    OFF(J_CA, "CA HSC 11360", "Transporting or giving away marijuana (not for sale)", NULL, F, 1,
        D_MARIJUANA, DC_DISTRIBUTION, Q_OUNCE, 0, 5, 0, 2016),
    OFF(J_CA, "CA HSC 11360", "Sale of marijuana", NULL, F, 1, D_MARIJUANA, DC_DISTRIBUTION,
        Q_DEALER, 0, 5, 0, 2016),
    OFF(J_CA, "CA HSC 11361(a)", "Employing a minor to sell marijuana", NULL, F, 2, D_MARIJUANA,
        DC_DISTRIBUTION, Q_DEALER, 0, 1, 0, 0),
    OFF(J_CA, "CA HSC 11350(a)", "Possession of a controlled substance", NULL, F, 1, D_HARD,
        DC_SIMPLE, Q_USER, 0, 28, 0, 2014),
    OFF(J_CA, "CA HSC 11350(a)", "Possession of a controlled substance", NULL, M, 0, D_HARD,
        DC_SIMPLE, Q_USER, 0, 28, 2015, 0),
    OFF(J_CA, "CA HSC 11377(a)", "Possession of methamphetamine", NULL, F, 1, D_METH, DC_SIMPLE,
        Q_USER, 0, 16, 0, 2014),
    OFF(J_CA, "CA HSC 11377(a)", "Possession of methamphetamine", NULL, M, 0, D_METH, DC_SIMPLE,
        Q_USER, 0, 16, 2015, 0),
    OFF(J_CA, "CA HSC 11351", "Possession for sale of a controlled substance", NULL, F, 2, D_HARD,
        DC_PWID, Q_DEALER, 0, 11, 0, 0),
    OFF(J_CA, "CA HSC 11378", "Possession of methamphetamine for sale", NULL, F, 2, D_METH, DC_PWID,
        Q_DEALER, 0, 8, 0, 0),
    OFF(J_CA, "CA HSC 11352(a)", "Transportation or sale of a controlled substance", NULL, F, 2,
        D_HARD, DC_DISTRIBUTION, Q_DEALER, 0, 5, 0, 0),
    ND(J_CA, "CA PC 459", "Burglary (first degree, residential)", "First degree", F, 2, PR, 8),
    ND(J_CA, "CA PC 459", "Burglary (second degree, commercial)", "Second degree", F, 1, PR, 9),
    ND(J_CA, "CA PC 211", "Robbery", NULL, F, 3, V | PR, 9),
    ND(J_CA, "CA PC 245(a)(1)", "Assault with a deadly weapon", NULL, F, 3, V, 9),
    ND(J_CA, "CA PC 273.5(a)", "Corporal injury to a spouse or cohabitant", NULL, F, 2, V | FA, 7),
    ND(J_CA, "CA PC 243(e)(1)", "Battery against a spouse or cohabitant", NULL, M, 0, V | FA, 13),
    ND(J_CA, "CA PC 242", "Battery", NULL, M, 0, V, 9),
    ND(J_CA, "CA PC 487(a)", "Grand theft", NULL, F, 1, PR, 8),
    ND(J_CA, "CA PC 487(b)(3)", "Grand theft by an employee or agent", NULL, F, 1, FR, 2),
    ND(J_CA, "CA PC 503", "Embezzlement", NULL, F, 1, FR, 3),
    ND(J_CA, "CA PC 532a", "False financial statement", NULL, F, 1, FR, 1),
    ND(J_CA, "CA PC 484(a)", "Petty theft", NULL, M, 0, PR, 17),
    ND(J_CA, "CA PC 496(a)", "Receiving stolen property", NULL, M, 0, PR, 8),
    ND(J_CA, "CA VC 10851(a)", "Unlawful taking or driving of a vehicle", NULL, F, 1, PR, 8),
    ND(J_CA, "CA VC 23152(a)", "Driving under the influence of alcohol", NULL, M, 0, DUI, 28),
    OFF(J_CA, "CA VC 23152(f)", "Driving under the influence of a drug", NULL, M, 0, D_ANY, DC_DUI,
        Q_NONE, DUI, 5, 2014, 0),
    ND(J_CA, "CA PC 29800(a)(1)", "Possession of a firearm by a felon", NULL, F, 2, GUN, 8),
    ND(J_CA, "CA PC 422", "Criminal threats", NULL, F, 2, 0, 5),
    ND(J_CA, "CA PC 148(a)(1)", "Resisting, delaying or obstructing an officer", NULL, M, 0, 0, 8),
    ND(J_CA, "CA PC 647(f)", "Disorderly conduct: public intoxication", NULL, M, 0, 0, 6),
    ND(J_CA, "CA PC 187(a)", "Murder", "Second degree", F, 3, V, 1),
    ND(J_CA, "CA PC 261(a)(2)", "Rape by force", NULL, F, 3, V | SX, 1),

    /* Georgia (O.C.G.A.). */
    OFF(J_GA, "OCGA 16-13-30(a)", "Possession of a controlled substance", NULL, F, 1, D_HARD,
        DC_SIMPLE, Q_USER, 0, 32, 0, 0),
    OFF(J_GA, "OCGA 16-13-2(b)", "Possession of one ounce or less of marijuana", NULL, M, 0,
        D_MARIJUANA, DC_SIMPLE, Q_USER, 0, 24, 0, 0),
    OFF(J_GA, "OCGA 16-13-30(j)", "Possession of more than one ounce of marijuana", NULL, F, 1,
        D_MARIJUANA, DC_SIMPLE, Q_DEALER, 0, 6, 0, 0),
    OFF(J_GA, "OCGA 16-13-30(b)", "Possession with intent to distribute", NULL, F, 2, D_HARD,
        DC_PWID, Q_DEALER, 0, 14, 0, 0),
    OFF(J_GA, "OCGA 16-13-31", "Trafficking in cocaine, illegal drugs or methamphetamine", NULL, F,
        3, D_HARD, DC_TRAFFICKING, Q_TRAF_B, OF_ROLE, 4, 0, 0),
    ND(J_GA, "OCGA 16-8-2", "Theft by taking", NULL, F, 1, PR, 14),
    ND(J_GA, "OCGA 16-8-2", "Theft by taking", NULL, M, 0, PR, 14),
    ND(J_GA, "OCGA 16-8-14", "Theft by shoplifting", NULL, M, 0, PR, 17),
    ND(J_GA, "OCGA 16-7-1(b)", "Burglary in the first degree", NULL, F, 2, PR, 7),
    ND(J_GA, "OCGA 16-5-21", "Aggravated assault", NULL, F, 3, V, 9),
    ND(J_GA, "OCGA 16-5-20", "Simple assault", NULL, M, 0, V, 9),
    ND(J_GA, "OCGA 16-5-23.1", "Battery", NULL, M, 0, V, 9),
    ND(J_GA, "OCGA 16-5-23.1", "Battery (family violence)", NULL, M, 0, V | FA, 8),
    ND(J_GA, "OCGA 16-8-41", "Armed robbery", NULL, F, 3, V | PR, 4),
    ND(J_GA, "OCGA 16-11-131", "Possession of a firearm by a convicted felon", NULL, F, 2, GUN, 6),
    ND(J_GA, "OCGA 40-6-391", "Driving under the influence", NULL, M, 0, DUI, 24),
    ND(J_GA, "OCGA 16-9-1", "Forgery in the first degree", NULL, F, 1, FR, 3),
    ND(J_GA, "OCGA 16-9-33", "Financial transaction card fraud", NULL, F, 1, FR, 3),
    ND(J_GA, "OCGA 16-10-24", "Obstruction of an officer", NULL, M, 0, 0, 8),
    ND(J_GA, "OCGA 16-5-1", "Murder", NULL, F, 3, V, 1),

    /* Michigan (MCL).  Adult-use marijuana became lawful on 2018-12-06. */
    OFF(J_MI, "MCL 333.7403(2)(a)(v)", "Possession of less than 25 grams of a narcotic or cocaine",
        NULL, F, 1, D_HARD, DC_SIMPLE, Q_USER, 0, 24, 0, 0),
    OFF(J_MI, "MCL 333.7403(2)(b)(i)", "Possession of methamphetamine", NULL, F, 1, D_METH,
        DC_SIMPLE, Q_USER, 0, 14, 0, 0),
    OFF(J_MI, "MCL 333.7403(2)(d)", "Possession of marijuana", NULL, M, 0, D_MARIJUANA, DC_SIMPLE,
        Q_USER, 0, 20, 0, 2018),
    OFF(J_MI, "MCL 333.7401(2)(a)(iv)",
        "Delivery or manufacture of less than 50 grams of a narcotic or cocaine", NULL, F, 2,
        D_HARD, DC_DISTRIBUTION, Q_DEALER, 0, 14, 0, 0),
    OFF(J_MI, "MCL 333.7401(2)(d)(iii)", "Delivery or manufacture of marijuana", NULL, F, 1,
        D_MARIJUANA, DC_DISTRIBUTION, Q_DEALER, 0, 5, 0, 0),
    ND(J_MI, "MCL 750.356", "Larceny ($1,000 or more)", NULL, F, 1, PR, 10),
    ND(J_MI, "MCL 750.356", "Larceny (less than $200)", NULL, M, 0, PR, 14),
    ND(J_MI, "MCL 750.110a(2)", "Home invasion, first degree", NULL, F, 3, V | PR, 5),
    ND(J_MI, "MCL 750.110a(4)", "Home invasion, third degree", NULL, F, 1, PR, 5),
    ND(J_MI, "MCL 750.84", "Assault with intent to do great bodily harm", NULL, F, 3, V, 6),
    ND(J_MI, "MCL 750.81(2)", "Domestic assault", NULL, M, 0, V | FA, 14),
    ND(J_MI, "MCL 750.81(1)", "Assault and battery", NULL, M, 0, V, 10),
    ND(J_MI, "MCL 750.529", "Armed robbery", NULL, F, 3, V | PR, 4),
    ND(J_MI, "MCL 750.227b", "Possession of a firearm during a felony", NULL, F, 2, GUN, 6),
    ND(J_MI, "MCL 750.224f", "Possession of a firearm by a felon", NULL, F, 2, GUN, 6),
    ND(J_MI, "MCL 257.625(1)", "Operating while intoxicated", NULL, M, 0, DUI, 28),
    ND(J_MI, "MCL 750.535(4)", "Receiving or concealing stolen property", NULL, F, 1, PR, 5),
    ND(J_MI, "MCL 750.479", "Resisting or obstructing a police officer", NULL, F, 1, 0, 5),
    ND(J_MI, "MCL 750.520c", "Criminal sexual conduct, second degree", NULL, F, 3, V | SX, 1),
    ND(J_MI, "MCL 750.317", "Second-degree murder", NULL, F, 3, V, 1),

    /* Illinois (ILCS).  Adult-use cannabis became lawful on 2020-01-01. */
    OFF(J_IL, "720 ILCS 570/402(c)", "Possession of a controlled substance", "Class 4", F, 1,
        D_HARD, DC_SIMPLE, Q_USER, 0, 28, 0, 0),
    OFF(J_IL, "720 ILCS 550/4", "Possession of cannabis", "Class B", M, 0, D_MARIJUANA, DC_SIMPLE,
        Q_USER, 0, 15, 0, 2019),
    OFF(J_IL, "720 ILCS 550/5", "Manufacture or delivery of cannabis", "Class 4", F, 1, D_MARIJUANA,
        DC_DISTRIBUTION, Q_DEALER, 0, 4, 0, 2019),
    OFF(J_IL, "720 ILCS 570/401", "Manufacture or delivery of a controlled substance", "Class 1", F,
        2, D_HARD, DC_DISTRIBUTION, Q_DEALER, 0, 14, 0, 0),
    OFF(J_IL, "720 ILCS 646/60", "Possession of methamphetamine", "Class 3", F, 1, D_METH,
        DC_SIMPLE, Q_USER, 0, 7, 0, 0),
    ND(J_IL, "720 ILCS 5/16-1", "Theft (not over $500)", "Class A", M, 0, PR, 14),
    ND(J_IL, "720 ILCS 5/16-1", "Theft (over $500)", "Class 3", F, 1, PR, 8),
    ND(J_IL, "720 ILCS 5/16-25", "Retail theft", "Class A", M, 0, PR, 14),
    ND(J_IL, "720 ILCS 5/19-1", "Burglary", "Class 2", F, 1, PR, 8),
    ND(J_IL, "720 ILCS 5/19-3", "Residential burglary", "Class 1", F, 2, PR, 5),
    ND(J_IL, "720 ILCS 5/12-3.2", "Domestic battery", "Class A", M, 0, V | FA, 16),
    ND(J_IL, "720 ILCS 5/12-3", "Battery", "Class A", M, 0, V, 10),
    ND(J_IL, "720 ILCS 5/12-3.05", "Aggravated battery", "Class 3", F, 2, V, 7),
    ND(J_IL, "720 ILCS 5/18-2", "Armed robbery", "Class X", F, 3, V | PR, 4),
    ND(J_IL, "720 ILCS 5/24-1.1", "Unlawful possession of a weapon by a felon", "Class 3", F, 2,
       GUN, 9),
    ND(J_IL, "720 ILCS 5/24-1.6", "Aggravated unlawful use of a weapon", "Class 4", F, 2, GUN, 7),
    ND(J_IL, "625 ILCS 5/11-501(a)", "Driving under the influence", "Class A", M, 0, DUI, 25),
    ND(J_IL, "720 ILCS 5/31-1", "Resisting or obstructing a peace officer", "Class A", M, 0, 0, 6),
    ND(J_IL, "720 ILCS 5/9-1", "First degree murder", NULL, F, 3, V, 1),
    ND(J_IL, "720 ILCS 5/11-1.20", "Criminal sexual assault", "Class 1", F, 3, V | SX, 1),
};

/* How much each severity counts in each context: custody sentences follow serious crimes. */
static const double sev_mult[CTX_COUNT][4] = {
    [CTX_PRIOR] = {1.0, 1.0, 0.7, 0.35},
    [CTX_PROBATION] = {1.0, 1.0, 0.45, 0.1},
    [CTX_CUSTODY] = {0.02, 0.5, 1.3, 1.6},
};

static bool in_years(const demo_offense *o, int year)
{
    return (!o->from || year >= o->from) && (!o->until || year <= o->until);
}

const demo_offense *hw__demo_pick_offense(hw_rng *r, uint8_t juris, int ctx, int year)
{
    double w[64];
    const demo_offense *cand[64];
    unsigned n = 0;

    for (size_t i = 0; i < HW_ARRAY_LEN(catalogue); i++) {
        const demo_offense *o = &catalogue[i];

        if (o->juris != juris || !in_years(o, year))
            continue;
        assert(n < HW_ARRAY_LEN(w));
        cand[n] = o;
        w[n++] = o->weight * sev_mult[ctx][o->sev];
    }
    assert(n > 0);
    return cand[hw_rng_pick(r, w, n)];
}

const demo_offense *hw__demo_pick_companion(hw_rng *r, const demo_offense *lead, int year,
                                            bool citizen)
{
    for (int tries = 0; tries < 6; tries++) {
        const demo_offense *o = hw__demo_pick_offense(r, lead->juris, CTX_PRIOR, year);

        /* A drug case's other counts are mostly drug counts, and no count outranks the lead. */
        if (o->sev > lead->sev || o == lead || (citizen && (o->flags & OF_IMMIG)))
            continue;
        if (lead->drug != D_NONE && o->drug == D_NONE && hw_rng_chance(r, 0.6))
            continue;
        return o;
    }
    return NULL;
}

const demo_offense *hw__demo_find_offense(const char *statute, int drug, bool family, bool misd)
{
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < HW_ARRAY_LEN(catalogue); i++) {
            const demo_offense *o = &catalogue[i];
            bool drug_ok = drug < 0 || o->drug == drug || o->drug == D_ANY ||
                           (o->drug == D_HARD && drug != D_MARIJUANA);

            if (strcmp(o->statute, statute) || !drug_ok)
                continue;
            /* Give up the class before the family variant: "2701 (family)" matters more. */
            if (pass < 1 && misd != (o->cls != CL_FELONY))
                continue;
            if (pass < 2 && family != !!(o->flags & OF_FAMILY))
                continue;
            return o;
        }
    }
    return NULL;
}

/* A substance for "any hard drug" offenses; the mix moves with the years. */
static int pick_hard(hw_rng *r, int year)
{
    double w[] = {
        [D_MARIJUANA] = 0,
        [D_COCAINE] = 22,
        [D_CRACK] = year < 2012 ? 18 : 7,
        [D_HEROIN] = year < 2016 ? 14 : 8,
        [D_FENTANYL] = year >= 2016 ? 18 : (year >= 2013 ? 3 : 0),
        [D_METH] = 22,
        [D_OPIOID] = 8,
        [D_OTHER] = 4,
    };

    return (int)hw_rng_pick(r, w, HW_ARRAY_LEN(w));
}

/* 21 USC 841(b)(1)(A) and (B) thresholds, in milligrams of a mixture. */
static int64_t threshold(int drug, bool a, int32_t offense)
{
    bool before_fsa = offense < hw_date_from_ymd(2010, 8, 3);

    switch (drug) {
    case D_HEROIN:
        return a ? 1000000 : 100000;
    case D_COCAINE:
        return a ? 5000000 : 500000;
    case D_CRACK: /* the Fair Sentencing Act of 2010 raised 50 g to 280 g and 5 g to 28 g */
        return a ? (before_fsa ? 50000 : 280000) : (before_fsa ? 5000 : 28000);
    case D_FENTANYL:
        return a ? 400000 : 40000;
    case D_METH:
        return a ? 500000 : 50000;
    case D_MARIJUANA:
        return a ? 1000000000 : 100000000;
    default:
        return a ? 1000000 : 100000;
    }
}

static int64_t lognormal_mg(hw_rng *r, double median, double sigma)
{
    double x = hw_rng_lognormal(r, median, sigma);

    return x < 1 ? 1 : (int64_t)x;
}

void hw__demo_drug_facts(hw_rng *r, const demo_offense *o, int32_t offense, demo_case *c)
{
    int year = hw__demo_year(offense);
    bool mj;

    c->drug = o->drug;
    c->qty_mg = 0;
    c->plants = 0;
    if (o->drug == D_NONE || o->drug == D_UNKNOWN)
        return;
    if (o->drug == D_HARD)
        c->drug = (int8_t)pick_hard(r, year);
    else if (o->drug == D_ANY)
        c->drug = (int8_t)(hw_rng_chance(r, 0.35) ? D_MARIJUANA : pick_hard(r, year));
    mj = c->drug == D_MARIJUANA;
    switch (o->qty) {
    case Q_USER:
        /* Personal amounts: a few grams; "small amount" statutes stay under an ounce. */
        c->qty_mg = lognormal_mg(r, mj ? 7000 : 800, 1.0);
        if (mj && c->qty_mg > 28000)
            c->qty_mg = 28000 - (int64_t)hw_rng_below(r, 20000);
        if (hw_rng_chance(r, 0.25))
            c->qty_mg = 0; /* often not recorded */
        break;
    case Q_DEALER:
        c->qty_mg = lognormal_mg(r, mj ? 200000 : 15000, 1.0);
        if (mj && c->qty_mg < 30000)
            c->qty_mg += 30000;
        break;
    case Q_TRAF_B: {
        int64_t lo = threshold(c->drug, false, offense), hi = threshold(c->drug, true, offense);

        c->qty_mg = (int64_t)((double)lo * exp(hw_rng_unit(r) * log((double)hi / (double)lo)));
        break;
    }
    case Q_TRAF_A: {
        int64_t lo = threshold(c->drug, true, offense);

        c->qty_mg = (int64_t)((double)lo * (1.0 + hw_rng_lognormal(r, 0.8, 0.9)));
        break;
    }
    case Q_OUNCE:
        /* California's line is 28.5 g: put people on it, just over it, and on both sides. */
        if (hw_rng_chance(r, 0.12))
            c->qty_mg = 28500;
        else if (hw_rng_chance(r, 0.05))
            c->qty_mg = 28501;
        else
            c->qty_mg = lognormal_mg(r, 28500, 0.55);
        break;
    case Q_PLANTS:
        /* Six plants is lawful for adults now; more is a misdemeanor. */
        if (hw_rng_chance(r, 0.45))
            c->plants = hw_rng_chance(r, 0.25) ? 6 : (int32_t)hw_rng_range(r, 1, 6);
        else
            c->plants = 7 + (int32_t)hw_rng_lognormal(r, 10, 1.0);
        break;
    default:
        break;
    }
}

int hw__demo_case_class(const demo_offense *o, const demo_case *c)
{
    /* SB 1449 made possession of 28.5 g or less an infraction from 2011-01-01. */
    if ((o->flags & OF_CA_OUNCE) && c->qty_mg > 0 && c->qty_mg <= 28500 &&
        c->offense >= hw_date_from_ymd(2011, 1, 1))
        return CL_INFRACTION;
    return o->cls;
}
