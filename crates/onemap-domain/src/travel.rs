//! Travel estimates between points: great-circle distance, and travel time behind the
//! [`Router`] trait — straight-line distance × a road factor at a team type's speed until
//! road data is imported.

use geo::{Distance, Haversine};

use crate::geo::Point;

/// Great-circle distance in kilometres.
pub fn km(a: Point, b: Point) -> f64 {
    Haversine.distance(geo::Point::new(a.lon, a.lat), geo::Point::new(b.lon, b.lat)) / 1000.0
}

/// Estimates how long a journey takes.
pub trait Router {
    /// Minutes from `from` to `to` at a travelling speed of `speed_kmh` on open road.
    fn minutes(&self, from: Point, to: Point, speed_kmh: f64) -> f64;

    /// The least a route can be longer than the straight line (road km ÷ straight km): a
    /// search may stop once the straight line at this factor is already too long. 1 unless
    /// the router knows better.
    fn floor_factor(&self) -> f64 {
        1.0
    }
}

/// The estimate without road data: the straight line lengthened by a factor for how roads
/// wind (configured per jurisdiction; ≥ 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StraightLine {
    pub road_factor: f64,
}

impl StraightLine {
    /// A router with `road_factor`, which must be a finite number ≥ 1.
    pub fn new(road_factor: f64) -> Result<Self, crate::FieldError> {
        if !road_factor.is_finite() || road_factor < 1.0 {
            return Err(crate::FieldError::new(
                "road_factor",
                format!("{road_factor} is not a road factor (a number ≥ 1: road length ÷ straight-line distance)"),
            ));
        }
        Ok(Self { road_factor })
    }
}

impl Router for StraightLine {
    fn minutes(&self, from: Point, to: Point, speed_kmh: f64) -> f64 {
        assert!(speed_kmh > 0.0, "team types have positive speeds (checked when the taxonomy loads)");
        km(from, to) * self.road_factor / speed_kmh * 60.0
    }

    fn floor_factor(&self) -> f64 {
        self.road_factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_between_tonghua_and_changchun_is_about_237_km() {
        // 通化市 seat to 长春市 seat: 2.09° of latitude (232 km) and 0.62° of longitude at
        // 43° N (50 km), about 237 km as the crow flies.
        let d = km(Point { lon: 125.9397, lat: 41.7284 }, Point { lon: 125.3235, lat: 43.8171 });
        assert!((d - 238.0).abs() < 5.0, "{d}");
    }

    #[test]
    fn minutes_follow_road_factor_and_speed() {
        let r = StraightLine::new(1.5).unwrap();
        let (a, b) = (Point { lon: 125.90, lat: 41.70 }, Point { lon: 126.00, lat: 41.70 });
        let d = km(a, b);
        // 1.5 × d km at 60 km/h takes 1.5 × d minutes.
        assert!((r.minutes(a, b, 60.0) - 1.5 * d).abs() < 1e-9);
        assert!(r.minutes(a, b, 30.0) > r.minutes(a, b, 60.0));
        assert_eq!(r.minutes(a, a, 40.0), 0.0);
    }

    #[test]
    fn refuses_a_road_factor_below_one() {
        assert_eq!(StraightLine::new(0.8).unwrap_err().field, "road_factor");
        assert!(StraightLine::new(f64::NAN).is_err());
        assert!(StraightLine::new(1.0).is_ok());
    }
}
